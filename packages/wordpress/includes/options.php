<?php
/**
 * The plugin's one option, `chorus_settings`, with its defaults and its sanitising on save.
 *
 * @package Chorus
 */

defined( 'ABSPATH' ) || exit;

/** Every network <quote-to-tweet> knows, in its README's order. */
const CHORUS_NETWORKS = array( 'x', 'bluesky', 'mastodon', 'threads', 'linkedin', 'facebook', 'reddit', 'hackernews', 'email', 'whatsapp', 'telegram' );

/** The analytics the tracker has adapters for (a `data-collector` value besides URLs). */
const CHORUS_ADAPTERS = array( 'plausible', 'umami', 'ga4', 'gtm', 'segment' );

/** What the settings are before the site changes them. */
function chorus_default_settings() {
	return array(
		'collector'      => '',
		'site'           => '',
		'via'            => '',
		'networks'       => array( 'x' ),
		'respect_dnt'    => false,
		'debug'          => false,
		'pageviews'      => 'elements', // elements | everywhere | off.
		'course_cat'     => 0,
		'course_top'     => true,
		'course_bottom'  => true,
		'course_href'    => '',
		'course_heading' => '',
		'course_text'    => '',
		'course_label'   => '',
		'course_image'   => '',
		'course_campaign' => 'course',
		'course_dismissible' => false,
	);
}

/** The settings, every key present. */
function chorus_settings() {
	$saved = get_option( 'chorus_settings', array() );
	return array_merge( chorus_default_settings(), is_array( $saved ) ? $saved : array() );
}

/** The site name events are filed under: the setting, else the site's host (the collector's pattern). */
function chorus_site_name() {
	$site = chorus_settings()['site'];
	if ( '' === $site ) {
		$site = chorus_sanitize_site( (string) wp_parse_url( home_url(), PHP_URL_HOST ) );
	}
	return $site;
}

/** A site name the collector accepts (`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`), or ''. */
function chorus_sanitize_site( $value ) {
	$value = preg_replace( '/[^A-Za-z0-9._-]/', '', (string) $value );
	$value = ltrim( $value, '._-' );
	return substr( $value, 0, 64 );
}

/** An X handle without `@` (1 to 15 letters, digits or `_`), or ''. */
function chorus_sanitize_handle( $value ) {
	$value = trim( ltrim( trim( (string) $value ), '@' ) );
	return preg_match( '/^[A-Za-z0-9_]{1,15}$/', $value ) ? $value : '';
}

/**
 * The X handle quotes credit when they name none: the setting, else Better Click To Tweet's option, then
 * Social Warfare's and Novashare's, when a site that used them still has them.
 */
function chorus_default_handle() {
	$handle = chorus_settings()['via'];
	if ( '' === $handle ) {
		$handle = chorus_sanitize_handle( get_option( 'bctt-twitter-handle', '' ) );
	}
	if ( '' === $handle ) {
		$sw     = get_option( 'social_warfare_settings', array() );
		$handle = chorus_sanitize_handle( is_array( $sw ) && isset( $sw['twitter_id'] ) ? $sw['twitter_id'] : '' );
	}
	if ( '' === $handle ) {
		$ns     = get_option( 'novashare', array() );
		$handle = chorus_sanitize_handle( is_array( $ns ) && isset( $ns['twitter_username'] ) ? $ns['twitter_username'] : '' );
	}
	return $handle;
}

/**
 * The collector setting as the tracker reads it: http(s) URLs and adapter names separated by spaces.
 * Anything else is dropped, with a notice on the settings page.
 */
function chorus_sanitize_collector( $value ) {
	$kept = array();
	foreach ( preg_split( '/\s+/', trim( (string) $value ), -1, PREG_SPLIT_NO_EMPTY ) as $token ) {
		if ( in_array( strtolower( $token ), CHORUS_ADAPTERS, true ) ) {
			$kept[] = strtolower( $token );
		} elseif ( preg_match( '#^https?://#i', $token ) && '' !== esc_url_raw( $token, array( 'http', 'https' ) ) ) {
			$kept[] = esc_url_raw( $token, array( 'http', 'https' ) );
		} elseif ( function_exists( 'add_settings_error' ) ) {
			/* translators: %s: what the administrator typed. */
			add_settings_error( 'chorus_settings', 'chorus_collector', sprintf( __( '"%s" is neither an http(s) URL nor an analytics name: it was left out of the collector.', 'chorus' ), $token ) );
		}
	}
	return implode( ' ', array_unique( $kept ) );
}

/** The settings as the form sent them, every value sanitised; unknown keys are dropped. */
function chorus_sanitize_settings( $input ) {
	// options.php has unslashed the form already.
	$input    = is_array( $input ) ? $input : array();
	$defaults = chorus_default_settings();
	$text     = function ( $key ) use ( $input ) {
		return isset( $input[ $key ] ) && is_scalar( $input[ $key ] ) ? sanitize_text_field( (string) $input[ $key ] ) : '';
	};
	$flag     = function ( $key ) use ( $input ) {
		return ! empty( $input[ $key ] );
	};
	$networks = isset( $input['networks'] ) && is_array( $input['networks'] ) ? array_values( array_intersect( CHORUS_NETWORKS, array_map( 'strval', $input['networks'] ) ) ) : array();
	$href     = esc_url_raw( $text( 'course_href' ), array( 'http', 'https' ) );
	$image    = esc_url_raw( $text( 'course_image' ), array( 'http', 'https' ) );
	$pageviews = $text( 'pageviews' );

	return array(
		'collector'          => chorus_sanitize_collector( $text( 'collector' ) ),
		'site'               => chorus_sanitize_site( $text( 'site' ) ),
		'via'                => chorus_sanitize_handle( $text( 'via' ) ),
		'networks'           => $networks ? $networks : $defaults['networks'],
		'respect_dnt'        => $flag( 'respect_dnt' ),
		'debug'              => $flag( 'debug' ),
		'pageviews'          => in_array( $pageviews, array( 'elements', 'everywhere', 'off' ), true ) ? $pageviews : 'elements',
		'course_cat'         => absint( $text( 'course_cat' ) ),
		'course_top'         => $flag( 'course_top' ),
		'course_bottom'      => $flag( 'course_bottom' ),
		'course_href'        => $href,
		'course_heading'     => $text( 'course_heading' ),
		'course_text'        => isset( $input['course_text'] ) && is_scalar( $input['course_text'] ) ? sanitize_textarea_field( (string) $input['course_text'] ) : '',
		'course_label'       => $text( 'course_label' ),
		'course_image'       => $image,
		'course_campaign'    => sanitize_title( $text( 'course_campaign' ) ),
		'course_dismissible' => $flag( 'course_dismissible' ),
	);
}
