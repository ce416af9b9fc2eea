<?php
/**
 * The course box placed by itself at the top and the bottom of every post of a chosen category (the
 * layout of the post Chorus is built for), from the settings. The two copies share a campaign and are
 * told apart by their ids (`chorus-course-top`, `chorus-course-bottom`), so a report says which placement
 * converts.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

// After do_shortcode (11), so the boxes are not parsed as content.
add_filter( 'the_content', 'chorus_place_course_box', 12 );

/** Whether the settings put the course box on this post. */
function chorus_course_box_applies( WP_Post $post ) {
	$settings = chorus_settings();
	if ( ! $settings['course_cat'] || ( '' === $settings['course_heading'] && '' === $settings['course_text'] ) ) {
		return false;
	}
	if ( ! $settings['course_top'] && ! $settings['course_bottom'] ) {
		return false;
	}
	return 'post' === $post->post_type && has_category( (int) $settings['course_cat'], $post );
}

/**
 * Puts the course box around the content of the post the page is (not another post's content shown in a
 * widget or a list). Not in_the_loop(): block themes before WordPress 6.4 render the post outside it.
 *
 * @param string $content The post's content.
 */
function chorus_place_course_box( $content ) {
	$post = get_post();
	if ( ! $post || ! is_singular( 'post' ) || get_queried_object_id() !== $post->ID || ! chorus_course_box_applies( $post ) ) {
		return $content;
	}
	$settings = chorus_settings();
	$box      = function ( $where ) use ( $settings ) {
		return chorus_render_course(
			array(
				'href'        => $settings['course_href'],
				'label'       => $settings['course_label'],
				'campaign'    => $settings['course_campaign'],
				'dismissible' => $settings['course_dismissible'],
				'heading'     => $settings['course_heading'],
				'text'        => $settings['course_text'],
				'image'       => $settings['course_image'],
				'id'          => 'chorus-course-' . $where,
			)
		);
	};
	return ( $settings['course_top'] ? $box( 'top' ) : '' ) . $content . ( $settings['course_bottom'] ? $box( 'bottom' ) : '' );
}
